"""Classical models (scikit-learn estimators) compiled to C99: trees, forests, gradient
boosting, linear models, Gaussian naive Bayes. `emit.py` turns a fitted estimator into
constant tables and a predict function; `host.py` builds and runs that C on the host."""
