//! The bundled image catalog: the playground's stand-in for Docker Hub. Each image is described
//! by a recipe (its repository, tags, files and config); the builder turns the recipes and the
//! compiled guest programs into the static files the page fetches on `docker pull`:
//!
//! ```text
//! index.json                 repository -> description, stars, tags -> manifest digest
//! mirror.json                the package mirrors: host -> URL path -> blob (see `packages`)
//! blobs/sha256/<hex>         manifests, image configs, layer tars and repository files, by digest
//! ```
//!
//! Layers are deterministic tar archives, so the same sources give the same digests, and a
//! layer shared by two recipes is one blob (pulled once, "Already exists" the second time).

mod applets;
mod build;
pub mod packages;
mod recipes;

pub use build::{build_catalog, Catalog, CatalogError};
pub use recipes::{recipes, FileSource, Item, LayerSpec, Recipe};

/// The guest programs the recipes need, by binary name (`hello` -> `hello.wasm`).
pub const GUEST_PROGRAMS: &[&str] = &["hello", "busybox", "pkg", "nginx", "httpd", "redis-server", "redis-cli"];
