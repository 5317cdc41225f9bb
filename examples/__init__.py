"""Example content shipped with the product (the seeded Package Management project)."""
