"""Handbill's comment service: takes comments from the form on a post, proves the commenter owns
their email address, lets the owner moderate from the command line, and exports approved
comments as records for the next build. See README.md.
"""
