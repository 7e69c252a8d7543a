import pytest

from rulebook.owners import split_owners


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Kylie Thornton / Ian Peet", ["Kylie Thornton", "Ian Peet"]),
        ("Angela Gibbons and CR", ["Angela Gibbons", "CR"]),
        ("Jeremy Pidd, Kylie Thornton", ["Jeremy Pidd", "Kylie Thornton"]),
        ("Debbie Nash\nCharlotte Ramsden", ["Debbie Nash", "Charlotte Ramsden"]),
        ("Angela Gibbons and Cathy Rooney(supporting)", ["Angela Gibbons", "Cathy Rooney"]),
        (
            "Area Family Support representative (to be nominated to PDB) and YOS representative.",
            ["Area Family Support representative", "YOS representative"],
        ),
        ("To be led by Practitioner network", ["Practitioner network"]),
        ("Led by GMP", ["GMP"]),
        ("lead by Probation", ["Probation"]),
        ("Kylie Thornton/ Ian Peet.", ["Kylie Thornton", "Ian Peet"]),
        (
            "Catherine Fleming, Dave Boulger, Kylie Thornton.",
            ["Catherine Fleming", "Dave Boulger", "Kylie Thornton"],
        ),
        ("Probation and\npartners", ["Probation", "partners"]),
        ("GMP\nProbation\n\nIOM", ["GMP", "Probation", "IOM"]),
        ("Probation / Commissioning Sub Group", ["Probation", "Commissioning Sub Group"]),
        (
            "Kylie Thornton / Karen Cooney / Communications Team",
            ["Kylie Thornton", "Karen Cooney", "Communications Team"],
        ),
        (
            "R Speight Named Nurse Safeguarding Children",
            ["R Speight Named Nurse Safeguarding Children"],
        ),
        ("Safe. Strong partnership", ["Safe. Strong partnership"]),
        ("All plus Trafford Comms’ Team", ["All", "Trafford Comms’ Team"]),
        ("", []),
        ("   \n ", []),
        (None, []),
        ("Kylie Thornton / kylie thornton", ["Kylie Thornton"]),
        ("Richard Roe, THT other RSL's", ["Richard Roe", "THT other RSL's"]),
        ("GMP; Probation & CCG", ["GMP", "Probation", "CCG"]),
        ("GMP AND Probation", ["GMP", "Probation"]),
        # "and"/"plus" split only as whole words
        ("Sandra Anderson", ["Sandra Anderson"]),
        ("Commissioning Andover Plusnet", ["Commissioning Andover Plusnet"]),
        ("Kylie  Thornton\r\n/ Ian   Peet", ["Kylie Thornton", "Ian Peet"]),
        ("/ , GMP ,, /", ["GMP"]),
        ("- GMP\n- Probation", ["GMP", "Probation"]),
        ("(tbc)", []),
    ],
)
def test_split_owners(lead, expected):
    assert split_owners(lead) == expected
