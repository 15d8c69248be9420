"""Write the bundled example CSVs from data that ships inside Python packages.

    python examples/make_examples.py

penguins.csv  Palmer penguins (palmerpenguins): classify `species` from
              categorical and numeric columns with missing values (344 rows).
diabetes.csv  scikit-learn's diabetes data: regress disease `progression`
              one year on from ten numeric measurements (442 rows).
"""

from pathlib import Path

from palmerpenguins import load_penguins
from sklearn.datasets import load_diabetes

HERE = Path(__file__).parent


def main() -> None:
    penguins = load_penguins()
    penguins = penguins[[c for c in penguins.columns if c != "species"] + ["species"]]
    penguins.to_csv(HERE / "penguins.csv", index=False)

    diabetes = load_diabetes(as_frame=True, scaled=False).frame
    diabetes = diabetes.rename(columns={"target": "progression"})
    diabetes.to_csv(HERE / "diabetes.csv", index=False)


if __name__ == "__main__":
    main()
