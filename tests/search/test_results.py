"""The Pareto front and the chosen trial over trial records."""

from __future__ import annotations

from microforge.search.results import chosen, find_trial, pareto_front


def trial(number, accuracy, instructions, ram, state="trained"):
    return {"number": number, "state": state, "accuracy": accuracy,
            "cost": {"instructions": instructions, "ram_bytes": ram}}


TRIALS = [trial(0, 0.90, 2e6, 4000), trial(1, 0.85, 1e6, 3000), trial(2, 0.80, 3e6, 5000),
          trial(3, 0.90, 1.5e6, 4000), trial(4, None, 1e5, 100, state="infeasible"),
          trial(5, 0.70, 0.5e6, 6000)]


def test_front_keeps_the_undominated_trained_trials():
    front = [t["number"] for t in pareto_front(TRIALS)]
    # 0 is dominated by 3 (same accuracy and RAM, fewer instructions), 2 by 0, 1 and 3;
    # 4 was never trained
    assert front == [3, 1, 5]


def test_chosen_is_the_most_accurate_then_the_cheapest():
    assert chosen(TRIALS)["number"] == 3
    assert chosen([trial(0, None, 1, 1, state="infeasible")]) is None
    assert find_trial(TRIALS, 4)["state"] == "infeasible" and find_trial(TRIALS, 9) is None
