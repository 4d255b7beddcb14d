"""Package a compiled model the way embedded developers consume it: a plain C library folder,
an Arduino library (.zip) or a CMake package (`add_subdirectory`)."""

from microforge.deploy.package import FORMATS, DeployResult, deploy_model
from microforge.deploy.project import deploy_project

__all__ = ["FORMATS", "DeployResult", "deploy_model", "deploy_project"]
