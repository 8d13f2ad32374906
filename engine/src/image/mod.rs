//! Images: an ordered list of read-only layers (tar archives named by their sha256 digest) and a
//! config (Cmd, Env, WorkingDir...). An image's ID is the digest of its config; a tag such as
//! `hello-world:latest` is a name pointing at an ID. The bundled catalog stands in for Docker Hub:
//! `docker pull` copies manifests, configs and layers from it into the local store.

mod archive;
pub mod build;
pub mod builder;
mod layer;
mod oci;
mod pull;
mod push;
mod reference;
pub mod registry;
mod remove;
mod store;

pub use archive::{load, save, ArchiveError};
pub use layer::{build_layer, content_size, tree_entries, unpack_layer, LayerEntry, LayerError};
pub use oci::{
    CatalogIndex, ContainerConfig, Descriptor, HealthConfig, HistoryEntry, ImageConfig, Manifest, RepoEntry, RootFs,
    CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE,
};
pub use pull::{Pull, PullError, PullEvent};
pub use push::{LayerPush, PushEvent};
pub use reference::{Reference, ReferenceError};
pub use registry::{Credentials, Registry, RegistryError, INDEX_SERVER};
pub use remove::{chain_ids, RemoveEvent};
pub use store::{Image, ImageStore};
