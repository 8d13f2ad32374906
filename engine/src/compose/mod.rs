//! Docker Compose: a project (services, networks, volumes) described in YAML and loaded in
//! stages, as compose-go loads it: [`parse`] (YAML to raw values), [`interpolate`] (`${VAR}`),
//! [`validate`] (the compose-spec JSON schema), [`normalize`] (short and long syntaxes into the
//! typed [`model`]), [`graph`] (start order, cycles), [`project`] (name, files, labels), and
//! [`config`] (the canonical YAML `docker compose config` prints).

pub mod dotenv;
pub mod interpolate;
pub mod model;
pub mod parse;
pub mod syntax;
pub mod validate;
pub mod value;

pub use value::{Map, Value};
