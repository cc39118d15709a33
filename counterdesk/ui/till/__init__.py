"""The clerk's till tab."""
