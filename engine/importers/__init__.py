"""Bringing the user's work over from other photo managers (digiKam's own catalog).

An import only adds what termkam does not hold yet and goes through termkam's decision
functions; it never changes the other program's files.
"""
