"""The KubeRay Pod Security tutorial's example job, for current Ray (Train V2).

Trains an XGBoost binary classifier on the breast-cancer data set with one Ray Train worker and prints the
final metrics. The data set is the tutorial's public copy unless XGBOOST_EXAMPLE_DATA names another CSV file
or URI that every Ray node can read (its label column is "target").

xgboost is not in the rayproject/ray image. It is installed at run time with pip, as the tutorial's own
`pip install` step shows works under the `restricted` Pod Security Standard: into this driver's Python, and
through a pip runtime environment for the Ray Train workers, which may run on other nodes.
"""

import json
import os
import subprocess
import sys

import ray

XGBOOST_REQUIREMENT = "xgboost-cpu==3.1.2"
DEFAULT_DATA = "s3://anonymous@air-example-data/breast_cancer.csv"
LABEL_COLUMN = "target"


def installed_xgboost_version():
    try:
        import xgboost
    except ImportError:
        return None
    return xgboost.__version__


def ensure_xgboost():
    """Returns the runtime environment the training workers need."""
    wanted = XGBOOST_REQUIREMENT.split("==")[1]
    if installed_xgboost_version() == wanted:
        # Every node runs the same image, so the workers have it too.
        return None
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", XGBOOST_REQUIREMENT])
    return {"pip": [XGBOOST_REQUIREMENT]}


@ray.remote(num_cpus=0)
class FinalMetrics:
    """Carries the last round's metrics from the training worker to the driver. Train V2's Result.metrics
    holds only metrics reported with a checkpoint, and this job keeps none (that would need storage shared by
    all nodes), so fit() alone returns no metrics."""

    def __init__(self):
        self.metrics = None

    def put(self, metrics):
        self.metrics = metrics

    def get(self):
        return self.metrics


def train_loop_per_worker(config):
    import xgboost
    from ray.train.xgboost import RayTrainReportCallback

    train_df = ray.train.get_dataset_shard("train").materialize().to_pandas()
    valid_df = ray.train.get_dataset_shard("valid").materialize().to_pandas()
    dtrain = xgboost.DMatrix(train_df.drop(columns=[LABEL_COLUMN]), label=train_df[LABEL_COLUMN])
    dvalid = xgboost.DMatrix(valid_df.drop(columns=[LABEL_COLUMN]), label=valid_df[LABEL_COLUMN])
    evals_result = {}
    xgboost.train(
        config["params"],
        dtrain,
        num_boost_round=config["num_boost_round"],
        evals=[(dtrain, "train"), (dvalid, "valid")],
        evals_result=evals_result,
        # Metrics only: checkpoints would need storage shared by all nodes.
        callbacks=[RayTrainReportCallback(frequency=0, checkpoint_at_end=False)],
    )
    if ray.train.get_context().get_world_rank() == 0:
        # Named as RayTrainReportCallback names them: "train-logloss", "valid-error", …
        final = {f"{data}-{name}": values[-1] for data, metrics in evals_result.items() for name, values in metrics.items()}
        ray.get(config["final_metrics"].put.remote(final))


def main():
    runtime_env = ensure_xgboost()
    ray.init(runtime_env=runtime_env)

    from ray.train import ScalingConfig
    from ray.train.xgboost import XGBoostTrainer

    dataset = ray.data.read_csv(os.environ.get("XGBOOST_EXAMPLE_DATA", DEFAULT_DATA))
    train_dataset, valid_dataset = dataset.train_test_split(test_size=0.3)

    final_metrics = FinalMetrics.remote()
    trainer = XGBoostTrainer(
        train_loop_per_worker,
        train_loop_config={
            "num_boost_round": 20,
            "params": {"objective": "binary:logistic", "eval_metric": ["logloss", "error"]},
            "final_metrics": final_metrics,
        },
        scaling_config=ScalingConfig(num_workers=1, use_gpu=False),
        datasets={"train": train_dataset, "valid": valid_dataset},
    )
    trainer.fit()  # raises if training failed
    print("final metrics: " + json.dumps(ray.get(final_metrics.get.remote()), sort_keys=True))


if __name__ == "__main__":
    main()
