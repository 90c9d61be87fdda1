"""The symbolic derivations behind the analytic claims, one module per derivation.

Each has ``main()``, which prints its checks and exits non-zero if one fails; run one with
``python proofs/NAME.py`` or :func:`workbench.rs.run_derivation`.
"""
