//! Why a project could not be loaded, worded as Docker Compose v2.36.2 prints it (the CLI adds
//! nothing: Compose prints these texts alone on stderr and exits with status 1).

use super::dotenv::DotenvError;
use super::interpolate::InterpolateError;
use super::parse::YamlError;
use super::syntax::{PortError, VolumeSpecError};
use super::validate::SchemaError;

/// A loading error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("no configuration file provided: not found")]
    NoConfigFile,
    #[error("open {0}: no such file or directory")]
    Open(String),
    #[error(transparent)]
    Yaml(#[from] YamlError),
    /// A file whose top level is not a mapping (go-yaml's words when Compose reads its name).
    #[error("yaml: unmarshal errors:\n  line {line}: cannot unmarshal {tag} into cli.named")]
    NotAMapping { line: usize, tag: String },
    #[error("empty compose file")]
    Empty,
    #[error(transparent)]
    Interpolate(#[from] InterpolateError),
    /// `services must be a mapping`, `services.web must be a mapping`.
    #[error("{0} must be a mapping")]
    MustBeMapping(String),
    #[error("validating {file}: {error}")]
    Schema { file: String, error: SchemaError },
    /// A sequence entry Compose cannot index (`services.web.labels.[0]: unexpected type int`).
    #[error("{0}")]
    Unicity(String),
    #[error("invalid project name \"{0}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number")]
    InvalidProjectName(String),
    #[error("project name must not be empty")]
    EmptyProjectName,
    #[error("failed to read {path}: {error}")]
    Dotenv { path: String, error: DotenvError },
    #[error("env file {0} not found: stat {0}: no such file or directory")]
    EnvFileNotFound(String),
    #[error(transparent)]
    Port(#[from] PortError),
    #[error(transparent)]
    Volume(#[from] VolumeSpecError),
    /// Values of the right type that do not decode (`time: unknown unit "x" in duration "10x"`):
    /// each attribute's path and message.
    #[error("decoding failed due to the following error(s):\n\n{}", .0.iter().map(|(p, m)| format!("error decoding '{p}': {m}")).collect::<Vec<_>>().join("\n"))]
    Decode(Vec<(String, String)>),
    #[error("{0}: invalid compose project")]
    Project(ProjectError),
    /// `dependency cycle detected: a -> b -> a`
    #[error("healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"")]
    HealthcheckTest,
    #[error("dependency cycle detected: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    #[error("no such service: {0}")]
    NoSuchService(String),
    /// A valid Compose attribute this playground does not implement (`include`, `extends`,
    /// `secrets`, `configs`): refused rather than silently ignored.
    #[error("{0}: not supported by this playground")]
    Unsupported(String),
}

/// A project whose parts do not fit together (`... : invalid compose project`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    #[error("service {0:?} has neither an image nor a build context specified")]
    NoImage(String),
    #[error("service {service:?} depends on undefined service {dependency:?}")]
    UndefinedService { service: String, dependency: String },
    #[error("service {service:?} refers to undefined network {network}")]
    UndefinedNetwork { service: String, network: String },
    #[error("service {0} declares mutually exclusive `network_mode` and `networks`")]
    NetworkModeAndNetworks(String),
    #[error("service {service:?} refers to undefined volume {volume}")]
    UndefinedVolume { service: String, volume: String },
    #[error("services.deploy.replicas: can't set container_name and {0} as container name must be unique")]
    ContainerNameReplicas(String),
}
