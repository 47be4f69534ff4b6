"""The minikeras course, installed with the package as `minikeras.course_material`.

This folder is data, not code to import: the exercises (`01-broadcasting/`, ...), their
tests and the reference solutions (`solutions/`). `minikeras course` finds it with
`minikeras.grader.catalogue.course_root`.
"""
