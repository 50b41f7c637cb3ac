"""Competition ranking (1, 2, 2, 4), shared by the statistics and the PAR engine."""

import subprocess
import sys

from cchc.lib.ranking import competition_ranks


def test_equal_figures_share_a_rank_and_the_next_rank_skips():
    ranked = competition_ranks([("a", 5), ("b", 9), ("c", 5), ("d", 1)], key=lambda r: r[1])
    assert [(rank, name) for rank, (name, _) in ranked] == [(1, "b"), (2, "a"), (2, "c"), (4, "d")]


def test_a_tie_break_orders_equal_figures_without_changing_their_rank():
    rows = [("c", 5), ("a", 5), ("b", 5)]
    ranked = competition_ranks(rows, key=lambda r: r[1], tie_break=lambda r: r[0])
    assert [(rank, name) for rank, (name, _) in ranked] == [(1, "a"), (1, "b"), (1, "c")]


def test_nothing_to_rank_is_an_empty_list():
    assert competition_ranks([], key=lambda r: r) == []


def test_it_imports_without_django_so_the_pure_engine_can_use_it():
    code = "import sys, cchc.lib.ranking; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
