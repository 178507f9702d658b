"""AWS: the resource type table shared by the importer and live discovery."""
