//! The learner's machine: the host that runs Docker. It has its own filesystem (the learner's
//! home, `/etc/hosts`), the same userland as the containers (a BusyBox-style `sh` and
//! coreutils, installed from the bundled catalog at boot), a terminal, and `docker` on its PATH:
//! a program the engine implements natively. One shell, one process model, one terminal path.

mod files;
mod install;
mod natives;
mod session;

pub use files::{absolute, give_to_learner, new_host_fs, own_home, HOME, USER};
pub use install::installed_host_fs;
pub use session::{Host, PROMPT};
