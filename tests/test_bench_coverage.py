"""How long the 上级交办 pairing takes: Henan's tasks addressed to Jiyuan against Jiyuan's 118,
and all of Henan's 148 against them (the province checking a whole city).

Run ``pytest tests/test_bench_coverage.py --benchmark-enable`` to see the figures; the aim is
well under a second for each on one core (fit included).
"""

from duban.draft import coverage as cv


def test_pair_henan_addressed_to_jiyuan(benchmark, henan, jiyuan):
    parents = [a.item for a in cv.addressed_to(cv.items_from_document(henan), "济源示范区", ["济源市"])]
    children = cv.items_from_document(jiyuan)
    coverage = benchmark(cv.pair, parents, children)
    assert len(parents) == 18 and coverage.links


def test_pair_all_of_henan_with_jiyuan(benchmark, henan, jiyuan):
    parents, children = cv.items_from_document(henan), cv.items_from_document(jiyuan)
    coverage = benchmark(cv.pair, parents, children)
    assert len({link.parent for link in coverage.links}) + len(coverage.not_taken_up) == 148
