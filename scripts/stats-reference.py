#!/usr/bin/python3
"""Reference values for the statistics of compare, plan and summaries, from scipy and statsmodels.

Writes test/fixtures/stats-reference.json, which test/unit/statistics/reference.test.ts reads
(CI needs no Python). Run it again after changing a case:

    /usr/bin/python3 scripts/stats-reference.py

Made with Debian's python3-scipy (1.10) and python3-statsmodels (0.13). Every case is drawn
from a fixed seed, so the output only changes when the script or the libraries do. Each figure is
computed here independently of the TypeScript code: library functions where they exist
(Wilson, Fisher, CMH, Holm/BH, cluster-robust variance, bootstrap), otherwise a different
algorithm (restricted maximum likelihood by root-finding on the score, not the closed-form cubic;
the exact conditional law from scipy's hypergeometric pmf and numpy's convolution).
"""
import json
import os
import sys

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, score_test_proportions_2indep
import statsmodels.api as sm

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "stats-reference.json")
rng = np.random.default_rng(20261201)
Z975 = stats.norm.ppf(0.975)


def stratum(xa, na, xb, nb):
    return {"aSuccess": int(xa), "aTrials": int(na), "bSuccess": int(xb), "bTrials": int(nb)}


# ---- exact conditional test (stratified Fisher) -------------------------------------------
def exact_conditional(strata):
    dist, low = np.array([1.0]), 0
    for s in strata:
        na, nb = s["aTrials"], s["bTrials"]
        m = s["aSuccess"] + s["bSuccess"]
        lo, hi = max(0, m - na), min(nb, m)
        pmf = stats.hypergeom.pmf(np.arange(lo, hi + 1), na + nb, nb, m)
        dist, low = np.convolve(dist, pmf / pmf.sum()), low + lo
    at = sum(s["bSuccess"] for s in strata) - low
    two = dist[dist <= dist[at] * (1 + 1e-7)].sum()
    return min(1.0, dist[: at + 1].sum()), min(1.0, dist[at:].sum()), min(1.0, two)


def fisher_check(s, worse, better, two):
    table = [[s["bSuccess"], s["bTrials"] - s["bSuccess"]], [s["aSuccess"], s["aTrials"] - s["aSuccess"]]]
    for alt, mine in (("less", worse), ("greater", better), ("two-sided", two)):
        ref = stats.fisher_exact(table, alternative=alt)[1]
        assert abs(ref - mine) <= 1e-12 * max(1.0, ref) or abs(ref - mine) < 1e-15, (s, alt, ref, mine)


# ---- CMH with continuity correction ------------------------------------------------------
def cmh(strata):
    delta = var = 0.0
    for s in strata:
        n, m = s["aTrials"] + s["bTrials"], s["aSuccess"] + s["bSuccess"]
        delta += s["bSuccess"] - s["bTrials"] * m / n
        if n > 1:
            var += s["aTrials"] * s["bTrials"] * m * (n - m) / (n * n * (n - 1))
    if var == 0:
        return 1.0, 1.0, None, delta
    worse = min(1.0, stats.norm.cdf((delta + 0.5) / np.sqrt(var)))
    better = min(1.0, stats.norm.sf((delta - 0.5) / np.sqrt(var)))
    tables = np.array([[[s["bSuccess"], s["bTrials"] - s["bSuccess"]], [s["aSuccess"], s["aTrials"] - s["aSuccess"]]] for s in strata], float)
    sm_two = StratifiedTable(np.moveaxis(tables, 0, -1)).test_null_odds(correction=True).pvalue if abs(delta) >= 0.5 else None
    if sm_two is not None:
        assert abs(sm_two - min(1.0, 2 * min(worse, better))) < 1e-12, (strata, sm_two, worse, better)
    return worse, better, sm_two, delta


# ---- risk difference: MH estimate, stratified Miettinen-Nurminen score --------------------
def restricted_b(s, d):
    """p_B maximizing the binomial likelihood of one stratum under p_B - p_A = d (score root)."""
    xa, na, xb, nb = s["aSuccess"], s["aTrials"], s["bSuccess"], s["bTrials"]
    lo, hi = max(0.0, d), min(1.0, 1.0 + d)

    def score(pb):
        pa = pb - d
        total = 0.0
        for x, n, p in ((xa, na, pa), (xb, nb, pb)):
            if x > 0:
                total += x / p
            if n - x > 0:
                total -= (n - x) / (1 - p)
        return total

    if hi - lo <= 0:
        return lo
    a, b = lo + 1e-13 * (hi - lo), hi - 1e-13 * (hi - lo)
    fa, fb = score(a), score(b)
    if fa <= 0:
        return lo
    if fb >= 0:
        return hi
    return optimize.brentq(score, a, b, xtol=1e-16, rtol=1e-15, maxiter=500)


def weight(s):
    return s["aTrials"] * s["bTrials"] / (s["aTrials"] + s["bTrials"])


def dhat(s):
    return s["bSuccess"] / s["bTrials"] - s["aSuccess"] / s["aTrials"]


def score_z(strata, d):
    num = var = 0.0
    for s in strata:
        pb = restricted_b(s, d)
        pa = pb - d
        n = s["aTrials"] + s["bTrials"]
        v = (pa * (1 - pa) / s["aTrials"] + pb * (1 - pb) / s["bTrials"]) * n / (n - 1)
        num += weight(s) * (dhat(s) - d)
        var += weight(s) ** 2 * v
    if var <= 0:
        return 0.0 if num == 0 else np.copysign(np.inf, num)
    return num / np.sqrt(var)


def statsmodels_restricted_check(s, d):
    """statsmodels' closed form must agree with the score root where it is right: its cubic has a
    wrong linear coefficient (count0 for nobs0, statsmodels issue #10269), harmless only when A
    passed every trial."""
    if s["aSuccess"] != s["aTrials"]:
        return 0
    with np.errstate(all="ignore"):
        r = score_test_proportions_2indep(s["bSuccess"], s["bTrials"], s["aSuccess"], s["aTrials"], value=d, correction=True, return_results=True)
    inside = max(0.0, d) <= r.prop1_null <= min(1.0, 1.0 + d)  # it does not clamp to the boundary
    if np.isfinite(r.prop1_null) and inside:
        mine = restricted_b(s, d)
        assert abs(r.prop1_null - mine) < 1e-7, (s, d, r.prop1_null, mine)  # a cubic loses digits near a double root
        return 1
    return 0


def risk_difference(strata):
    est = sum(weight(s) * dhat(s) for s in strata) / sum(weight(s) for s in strata)
    f = lambda d, z: score_z(strata, d) - z
    low = -1.0 if score_z(strata, -1.0) <= Z975 else optimize.brentq(f, -1.0, est, args=(Z975,), xtol=1e-15)
    high = 1.0 if score_z(strata, 1.0) >= -Z975 else optimize.brentq(f, est, 1.0, args=(-Z975,), xtol=1e-15)
    return est, low, high


# ---- designs ------------------------------------------------------------------------------
ROUNDING_TRAP = [stratum(a, 3, b, 3) for a, b in [(0, 0), (2, 1), (2, 1), (3, 3), (2, 1), (2, 0), (2, 1), (2, 1), (0, 1), (2, 2)]]
THREE_TASKS = [stratum(10, 10, 0, 10) for _ in range(3)]


def random_design():
    k = int(rng.integers(1, 13))
    out = []
    for _ in range(k):
        na, nb = int(rng.integers(1, 16)), int(rng.integers(1, 16))
        pa = rng.beta(2, 1.2)
        pb = np.clip(pa + rng.normal(0, 0.2), 0, 1)
        out.append(stratum(rng.binomial(na, pa), na, rng.binomial(nb, pb), nb))
    return out


def edge_designs():
    return [
        [stratum(0, 5, 0, 5)],
        [stratum(5, 5, 5, 5)],
        [stratum(5, 5, 0, 5), stratum(0, 5, 5, 5)],
        [stratum(1, 1, 0, 10) for _ in range(10)],
        [stratum(3, 3, 0, 1), stratum(0, 2, 2, 2), stratum(4, 4, 4, 4)],
        [stratum(10, 10, 0, 10) for _ in range(5)],
        [stratum(1, 1, 0, 1) for _ in range(4)],
        [stratum(40, 50, 31, 60), stratum(12, 30, 9, 25)],
    ]


def stratified_cases():
    designs = [ROUNDING_TRAP, THREE_TASKS] + edge_designs() + [random_design() for _ in range(400)]
    cases, checked = [], 0
    for strata in designs:
        worse, better, two = exact_conditional(strata)
        if len(strata) == 1:
            fisher_check(strata[0], worse, better, two)
        cworse, cbetter, sm_two, delta = cmh(strata)
        est, low, high = risk_difference(strata)
        margins = [0.05, 0.1, 0.2]
        ni = {str(m): float(stats.norm.sf(score_z(strata, -m))) for m in margins}
        if len(strata) == 1 and strata[0]["aSuccess"] == strata[0]["aTrials"]:  # see the check below
            s = strata[0]
            for m in margins:
                with np.errstate(all="ignore"):
                    r = score_test_proportions_2indep(s["bSuccess"], s["bTrials"], s["aSuccess"], s["aTrials"], value=-m, alternative="larger", correction=True, return_results=True)
                if np.isfinite(r.pvalue):
                    assert abs(r.pvalue - ni[str(m)]) < 1e-9, (s, m, r.pvalue, ni[str(m)])
        for s in strata:
            for d in (-0.5, -0.1, 0.0, 0.2):
                checked += statsmodels_restricted_check(s, d)
        cases.append({
            "strata": strata,
            "exact": {"pWorse": worse, "pBetter": better, "pTwoSided": two},
            "cmh": {"pWorse": cworse, "pBetter": cbetter, "pTwoSidedStatsmodels": sm_two},
            "rd": {"estimate": est, "low": low, "high": high},
            "nonInferiorityP": ni,
        })
    return cases, checked


def wilson_cases():
    out = []
    for n in [1, 2, 3, 5, 10, 30, 100, 1000]:
        for x in sorted(set([0, 1, n // 3, n // 2, n - 1, n])):
            if 0 <= x <= n:
                lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
                out.append({"successes": x, "n": n, "low": lo, "high": hi})
    return out


def multiplicity_cases():
    out = []
    for _ in range(60):
        m = int(rng.integers(1, 15))
        ps = np.round(rng.uniform(0, 1, m) ** 3, 6)
        out.append({
            "p": ps.tolist(),
            "holm": multipletests(ps, method="holm")[1].tolist(),
            "bh": multipletests(ps, method="fdr_bh")[1].tolist(),
        })
    return out


def cluster_case(tasks):
    y = np.concatenate([[1.0] * t["successes"] + [0.0] * (t["n"] - t["successes"]) for t in tasks])
    g = np.concatenate([[i] * t["n"] for i, t in enumerate(tasks)])
    n, k, p = len(y), len(tasks), y.mean()
    fit = sm.OLS(y, np.ones(n)).fit(cov_type="cluster", cov_kwds={"groups": g})
    var = float(fit.bse[0] ** 2)
    deff = max(1.0, var / (p * (1 - p) / n)) if 0 < p < 1 else 1.0
    neff = n / deff
    t = stats.t.ppf(0.975, k - 1)
    lo, hi = proportion_confint(p * neff, neff, alpha=2 * stats.norm.sf(t), method="wilson")
    if p == 0:
        lo = 0.0
    if p == 1:
        hi = 1.0
    return {"tasks": tasks, "rate": p, "low": max(0.0, lo), "high": min(1.0, hi), "design_effect": deff, "n_effective": neff}


def cluster_cases():
    out = []
    for _ in range(80):
        k = int(rng.integers(2, 15))
        tasks = []
        for _ in range(k):
            n = int(rng.integers(1, 12))
            tasks.append({"successes": int(rng.binomial(n, rng.beta(1.5, 1.5))), "n": n})
        out.append(cluster_case(tasks))
    out.append(cluster_case([{"successes": 3, "n": 3}, {"successes": 5, "n": 5}]))
    out.append(cluster_case([{"successes": 2, "n": 4}, {"successes": 2, "n": 4}, {"successes": 2, "n": 4}]))
    return out


# ---- bootstrap: scipy's percentile bootstrap, many resamples; a band for Monte Carlo error -----
B_TS, B_PY = 4000, 200000


def bootstrap_case(strata):
    data = tuple(np.array(x, float) for s in strata for x in (s["a"], s["b"]))

    def ratio(*samples, axis=-1):
        a = sum(samples[i].mean(axis=axis) for i in range(0, len(samples), 2))
        b = sum(samples[i].mean(axis=axis) for i in range(1, len(samples), 2))
        return b / a

    res = stats.bootstrap(data, ratio, n_resamples=B_PY, method="percentile", vectorized=True, random_state=int(rng.integers(1 << 30)))
    dist = np.sort(res.bootstrap_distribution)
    band = {}
    for q in (0.025, 0.975):
        w = 4 * np.sqrt(q * (1 - q) * (1 / B_TS + 1 / B_PY))
        band[str(q)] = [float(np.quantile(dist, max(0, q - w))), float(np.quantile(dist, min(1, q + w)))]
    point = float(ratio(*[d[None, :] for d in data])[0])
    return {"strata": strata, "ratio": point, "iterations": B_TS, "band": band}


def bootstrap_cases():
    out = []
    for _ in range(6):
        k = int(rng.integers(1, 6))
        strata = []
        for _ in range(k):
            scale = rng.uniform(0.2, 3)
            strata.append({"a": np.round(rng.gamma(2, scale, int(rng.integers(2, 8))), 3).tolist(), "b": np.round(rng.gamma(2, scale * 1.3, int(rng.integers(2, 8))), 3).tolist()})
        out.append(bootstrap_case(strata))
    return out


# ---- simulations: power of the gate and its false-positive rate under the null --------------
def exact_p_worse(xa, na, xb, nb):
    return exact_conditional([stratum(*v) for v in zip(xa, na, xb, nb)])[0]


def simulate(rates_a, rates_b, na, nb, sims, alpha=0.05):
    na, nb = np.array(na), np.array(nb)
    hits = 0
    for _ in range(sims):
        xa, xb = rng.binomial(na, rates_a), rng.binomial(nb, rates_b)
        hits += exact_p_worse(xa, na, xb, nb) <= alpha
    return hits / sims


POWER_DESIGNS = [
    # A's rate per task, the drop, and trials per task and side: what `plan` picks (n) and n - 1
    ([0.7] * 10, 0.1, [30, 31]),
    ([0.9] * 5, 0.1, [34, 35]),
    ([0.5, 0.6, 0.7, 0.8, 0.9, 0.95], 0.15, [19, 20]),
    ([0.8] * 3, 0.3, [11, 12]),
    ([0.7] * 10, 0.2, [8, 9]),
    ([0.7] * 10, 0.2, [3]),
]


def power_cases(sims):
    out = []
    for rates, drop, ns in POWER_DESIGNS:
        ra = np.array(rates)
        rb = np.clip(ra - drop, 0, 1)
        for n in ns:
            out.append({"rates": rates, "drop": drop, "n": n, "sims": sims, "power": simulate(ra, rb, [n] * len(rates), [n] * len(rates), sims)})
    return out


def null_fpr(sims):
    """10 tasks, 1 trial of A vs 10 of B, task rates ~ Beta(9, 1), no difference."""
    hits = 0
    for _ in range(sims):
        p = rng.beta(9, 1, 10)
        xa, xb = rng.binomial(1, p), rng.binomial(10, p)
        hits += exact_p_worse(xa, [1] * 10, xb, [10] * 10) <= 0.05
    return {"tasks": 10, "a_trials": 1, "b_trials": 10, "beta": [9, 1], "alpha": 0.05, "sims": sims, "rate": hits / sims}


def main():
    quick = "--quick" in sys.argv
    stratified, checked = stratified_cases()
    out = {
        "generated_by": "scripts/stats-reference.py",
        "libraries": {"numpy": np.__version__, "scipy": __import__("scipy").__version__, "statsmodels": sm.__version__ if hasattr(sm, "__version__") else __import__("statsmodels").__version__},
        "restricted_mle_checked_against_statsmodels": checked,
        "stratified": stratified,
        "wilson": wilson_cases(),
        "multiplicity": multiplicity_cases(),
        "cluster": cluster_cases(),
        "bootstrap": bootstrap_cases(),
        "power": power_cases(2000 if quick else 20000),
        "null_fpr": null_fpr(2000 if quick else 20000),
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(stratified)} stratified designs, {checked} restricted MLEs matched statsmodels")


if __name__ == "__main__":
    main()
