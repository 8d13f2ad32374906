//! nginx for the playground's images. See the crate's modules.

mod conf;
mod vars;
mod version;

fn main() {}
