"""End-to-end demos that `minikeras demo ...` runs."""
