"""Authentication and policy: tokens to principals, and the pure rules of who may do what to
whom today (policy.py, staff_policy.py), citing ../shared/domain.md. Imports domain values
only: the gates above ask it; it asks none of them."""
