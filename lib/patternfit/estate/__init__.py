"""The estate review: read an inventory, score every connection, find mismatches, write the report."""
