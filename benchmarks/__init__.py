"""plsched's benchmarks: pytest-benchmark microbenchmarks (``test_micro.py``) and the quality
runner (``python -m benchmarks``, see ``quality.py`` and ``README.md``)."""
