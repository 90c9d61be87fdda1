"""Certificates of the exact results in a ``workbench verify`` report, and their checker.

:mod:`workbench.certificates.check` re-verifies the files under ``certificates/`` of a report
folder with the Python standard library and :mod:`fractions` only: it shares no code with the
engine (it does not import any other ``workbench`` module), so a bug in the engine cannot hide
itself from it. Run ``python -m workbench.certificates.check REPORT_DIR``.
"""
