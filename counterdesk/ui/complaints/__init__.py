"""The complaints / enquiries / help requests tab."""
