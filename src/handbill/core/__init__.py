"""The small core every part of Handbill imports, and nothing else: pure
functions and the few file operations they all need, no Pelican signals."""
