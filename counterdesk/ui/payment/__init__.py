"""The payment tab (收费) and the customer screen."""
