//! Docker Compose: a project (services, networks, volumes) described in YAML and loaded in
//! stages, as compose-go loads it: [`parse`] (YAML to raw values), [`interpolate`] (`${VAR}`),
//! [`merge`] (several files), [`validate`] (the compose-spec JSON schema), [`normalize`] (short
//! and long syntaxes into the typed [`model`]), [`check`] (profiles, consistency), [`graph`]
//! (start order, cycles), [`project`] (files, name, labels), and [`config`] (the canonical YAML
//! `docker compose config` prints). [`loader::load`] runs them in order.

pub mod apply;
pub mod check;
pub mod config;
pub mod dotenv;
pub mod emit;
pub mod error;
pub mod graph;
pub mod interpolate;
pub mod json;
pub mod loader;
pub mod merge;
pub mod model;
pub mod normalize;
pub mod parse;
pub mod project;
pub mod resources;
pub mod syntax;
pub mod validate;
pub mod value;

pub use error::{ComposeError, ProjectError};
pub use loader::{load, LoadOptions};
pub use model::Project;
pub use value::{Map, Value};
