//! What each bundled image contains. A recipe names its repository and tags, the layers it is
//! made of (files taken from compiled guest programs or written inline), and the config a
//! container gets from it (Cmd, Env...), with Docker Hub's descriptions for `docker search`.

use engine::image::ContainerConfig;

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// A compiled guest program, by binary name.
    Guest(&'static str),
    /// Inline text.
    Text(&'static str),
}

/// One layer: the files it adds, and the history line that made it (`docker history`).
#[derive(Debug, Clone)]
pub struct LayerSpec {
    pub created_by: &'static str,
    pub files: Vec<(&'static str, u32, FileSource)>,
}

/// One repository of the catalog, with every tag pointing at the same image.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// `library/hello-world`
    pub repository: &'static str,
    pub tags: &'static [&'static str],
    pub description: &'static str,
    pub stars: u32,
    pub official: bool,
    /// RFC 3339 creation time of the image.
    pub created: &'static str,
    pub layers: Vec<LayerSpec>,
    pub config: ContainerConfig,
    /// History lines of config-only instructions (no layer), appended after the layers'.
    pub metadata_history: Vec<&'static str>,
}

const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Every image of the catalog.
pub fn recipes() -> Vec<Recipe> {
    vec![Recipe {
        repository: "library/hello-world",
        tags: &["latest", "linux"],
        description: "Hello World! (an example of minimal Dockerization)",
        stars: 2437,
        official: true,
        created: "2025-08-13T09:12:00Z",
        layers: vec![LayerSpec {
            created_by: "COPY hello / # buildkit",
            files: vec![("hello", 0o755, FileSource::Guest("hello"))],
        }],
        config: ContainerConfig {
            env: vec![PATH_ENV.into()],
            cmd: Some(vec!["/hello".into()]),
            working_dir: "/".into(),
            ..ContainerConfig::default()
        },
        metadata_history: vec!["CMD [\"/hello\"]"],
    }]
}
