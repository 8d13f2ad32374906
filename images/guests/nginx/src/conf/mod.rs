//! nginx's configuration: the file syntax ([`lexer`], [`tree`] with `include`), the directives
//! nginx knows ([`table`], [`check`]), and what they mean ([`build`] into a [`model::Config`]).

mod apply;
pub mod build;
mod check;
pub mod lexer;
pub mod model;
pub mod net;
pub mod settings;
pub mod table;
pub mod tree;
pub mod vhosts;

pub use build::build;
pub use model::Config;
#[cfg(test)]
use tree::Files;
pub use tree::{ConfError, Disk};

#[cfg(test)]
/// Reads and builds the configuration in `path` (relative includes from `prefix`).
pub fn load(files: &dyn Files, path: &str, prefix: &str, resolve: net::Resolver<'_>) -> Result<Config, ConfError> {
    let tree = tree::load(files, path, prefix)?;
    build(&tree, resolve)
}

#[cfg(test)]
#[path = "conf_tests.rs"]
pub mod tests;
