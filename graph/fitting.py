"""Fitting the suggester's two decisions by Newton's method (numpy only: no scipy.optimize import).

:func:`fit_softmax` weighs ranking features so the gold candidate is likeliest among a phrase's candidates;
:func:`fit_logistic` weighs gap signals; :func:`knot_points` and :func:`hinge_features` let a signal's effect
bend at its quantiles.

>>> import numpy as np
>>> feat = np.array([[[1.0], [0.0]], [[0.9], [0.2]]])  # 2 phrases, 2 candidates, 1 feature
>>> w = fit_softmax(feat, np.ones((2, 2), bool), np.array([0, 0]))
>>> bool(w[0] > 0)
True
"""
from __future__ import annotations

import numpy as np

GAP_KNOTS = 3  # inner quantiles per gap signal where its effect may change


def fit_softmax(feat: np.ndarray, valid: np.ndarray, gold: np.ndarray, l2: float = 1e-4, iters: int = 30) -> np.ndarray:
    """Weights maximising the log-probability of the gold candidate (index ``gold``) among the valid ones."""
    n, m, k = feat.shape
    x = feat.astype(np.float64)
    w = np.zeros(k)
    rows = np.arange(n)

    def loss_grad_hess(w: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        s = x @ w
        s[~valid] = -1e9
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.log(p[rows, gold] + 1e-300).sum() + 0.5 * l2 * n * (w @ w)
        mu = np.einsum("nm,nmk->nk", p, x)
        grad = -(x[rows, gold] - mu).sum(axis=0) + l2 * n * w
        hess = np.einsum("nm,nmk,nml->kl", p, x, x) - mu.T @ mu + l2 * n * np.eye(k)
        return float(loss), grad, hess

    loss, grad, hess = loss_grad_hess(w)
    for _ in range(iters):
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-4:
            new = w - t * step
            new_loss, new_grad, new_hess = loss_grad_hess(new)
            if new_loss <= loss:
                break
            t /= 2
        if t <= 1e-4 or loss - new_loss < 1e-7 * n:
            w = new if new_loss <= loss else w
            break
        w, loss, grad, hess = new, new_loss, new_grad, new_hess
    return w

def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, iters: int = 30) -> np.ndarray:
    """Logistic regression weights (the last column of ``x`` should be a constant 1)."""
    x = x.astype(np.float64)
    n, k = x.shape
    w = np.zeros(k)
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + l2 * n * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * n * np.eye(k)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w

def softmax(scores: np.ndarray, valid: np.ndarray) -> np.ndarray:
    s = np.where(valid, scores, -1e9)
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) * valid
    return p / np.maximum(p.sum(axis=1, keepdims=True), 1e-30)

def knot_points(x: np.ndarray, n: int = GAP_KNOTS) -> list[np.ndarray]:
    """Per column of ``x``, the inner quantiles where a fitted gap model may bend (none for a constant or
    a binary column)."""
    out = []
    qs = np.linspace(0, 1, n + 2)[1:-1]
    for j in range(x.shape[1]):
        col = x[:, j]
        if len(np.unique(col[: 5000])) <= 2:
            out.append(np.zeros(0))
            continue
        out.append(np.unique(np.quantile(col, qs)))
    return out

def hinge_features(x: np.ndarray, knots: list[np.ndarray]) -> np.ndarray:
    """``x`` with a hinge column ``max(0, x_j - k)`` per knot: a piecewise-linear response to each signal."""
    cols = [x]
    for j, ks in enumerate(knots):
        if len(ks):
            cols.append(np.maximum(0.0, x[:, j : j + 1] - ks[None, :]))
    return np.concatenate(cols, axis=1)
