"""The constraint families: what each states, and that all of them are network families."""

from __future__ import annotations

import numpy as np

from matchmaker.pairing import UNIT, Instance, Model
from matchmaker.pairing.model import FixedEdges, GroupLimit, RowFamily, families


def small() -> Instance:
    return Instance(
        candidates=("a", "b", "c"),
        provinces=("P", "P", None),
        partners=("x", "y"),
        countries=("Benin", "Rwanda"),
        edge_cand=np.array([0, 0, 1, 2], dtype=np.int64),
        edge_partner=np.array([0, 1, 1, 0], dtype=np.int64),
        edge_value=np.array([5, 4, 3, 2], dtype=np.int64) * UNIT,
        quotas={"Benin": 1, "Rwanda": 2},
        max_per_province=1,
        locks=(2,),
    )


def test_every_family_of_the_pairing_is_a_network_family() -> None:
    inst = small()
    fams = families(inst)
    assert [f.name for f in fams] == ["cand", "partner", "quota", "province", "lock"]
    assert all(f.network for f in fams)
    assert Model(inst).network
    # no province cap, no province family
    assert "province" not in [f.name for f in families(Instance.assignment(np.ones((2, 2), dtype=np.int64)))]
    # a family of general rows is not a network family unless it says so
    assert not RowFamily("stability", ()).network
    assert not Model(inst, [*fams, RowFamily("stability", ())]).network


def test_the_groups_each_family_states() -> None:
    inst = small()
    cand, partner, quota, province, lock = families(inst)
    assert isinstance(cand, GroupLimit) and isinstance(lock, FixedEdges)
    keys, starts, edges, limits = cand.groups()
    assert keys.tolist() == [0, 1, 2] and starts.tolist() == [0, 2, 3] and edges.tolist() == [0, 1, 2, 3]
    assert limits.tolist() == [1, 1, 1]
    assert isinstance(quota, GroupLimit)
    keys, _, edges, limits = quota.groups()
    assert edges.tolist() == [0, 3, 1, 2] and limits.tolist() == [1, 2]  # Benin's edges, then Rwanda's
    assert quota.row_names(keys) == ["quota_0", "quota_1"]
    assert isinstance(province, GroupLimit)
    _, _, edges, limits = province.groups()
    assert edges.tolist() == [0, 1, 2] and limits.tolist() == [1]  # candidate c has no province
    assert lock.edges == (2,)
    assert isinstance(partner, GroupLimit) and partner.row_names(partner.groups().keys) == [
        "partner_0",
        "partner_1",
    ]
