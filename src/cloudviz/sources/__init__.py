"""Where inventories come from: live SDK discovery, files users have, demos."""
