"""Qt widgets and their controllers. No SQL and no business rules here: call services."""
