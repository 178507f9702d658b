"""Diagrams of inventories: views, layout, paging and writers."""
