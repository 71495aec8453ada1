"""Names and units of what normsim writes (REFERENCE.md: "Outcomes of a run", "Series per step",
"HDF5 output"), for files or objects that do not carry them themselves."""

from __future__ import annotations

#: The outcomes of a run, in REFERENCE.md's order.
OUTCOMES = (
    "capability", "interpretability", "xrisk", "t_transform", "steps_run", "published_fraction",
    "public_capability_share", "defections", "mean_propensity_capabilities",
    "mean_propensity_interpretability", "results",
)

#: Units of the outcomes, used when /outcomes/<name> is absent (e.g. for captions of attribution).
OUTCOME_UNITS = {
    "capability": "capability units", "interpretability": "interpretability units",
    "xrisk": "probability", "t_transform": "step", "steps_run": "steps",
    "published_fraction": "fraction", "public_capability_share": "fraction",
    "defections": "results", "mean_propensity_capabilities": "probability",
    "mean_propensity_interpretability": "probability", "results": "results",
}

#: Units of scenario keys whose design dataset carries no ``units`` attribute of its own
#: (REFERENCE.md, "Scenario keys": chances and shares are probabilities or fractions).
KEY_UNITS_FALLBACK = {
    "labs.interp_fraction": "fraction",
    "labs.leak_rate": "per step",
    "labs.propensity_capabilities": "probability",
    "labs.propensity_interpretability": "probability",
    "research.spill_probability": "probability",
    "research.screen_sensitivity": "probability",
    "research.screen_false_positive": "probability",
    "norm.allow.capabilities": "probability",
    "norm.allow.interpretability": "probability",
    "norm.allow.flagged": "probability",
    "norm.compliance": "probability",
    "adaptation.mutation": "per propensity per review",
    "hazard.max": "probability",
}

#: Verdicts of a claim by code (/claims attribute ``verdict_labels``; /claims/<id>/verdict int8).
VERDICTS = ("holds", "fails", "inconclusive")

#: Prefix of the series' variables in an outcomes Dataset: /series/<name> is ``series.<name>``
#: (three series share their name with an outcome).
SERIES_PREFIX = "series."

#: Statistics of /summary/<outcome>/ per design point.
SUMMARY_STATS = ("mean", "sd", "se", "q05", "q50", "q95", "n")

#: The two-sided 95 % normal quantile.
Z95 = 1.959963984540054
