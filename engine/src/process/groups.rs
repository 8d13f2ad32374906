//! Process groups: a container's processes together, as its PID namespace and its cgroup are
//! on Linux. A group caps how many processes it may hold (`docker run --pids-limit`: a fork
//! bomb gets `EAGAIN`) and how much memory each may use (`--memory`), and the whole group can be
//! signalled at once (a container stopping takes all its processes with it).
//!
//! A group can also be frozen (`docker pause`, the cgroup freezer): the scheduler gives its
//! processes no turns, so they use no CPU and their sleeps and timers do not fire; time still
//! passes, and a sleep that ended meanwhile returns as soon as the group is thawed. Signals wait
//! for the thaw too, except `SIGKILL`, which ends a frozen process at once.

use super::kernel::{Body, Kernel, DEFAULT_PIDS_LIMIT, MAX_PROCESSES};
use super::{GroupId, Pid, Signal};

impl Kernel {
    /// A new, empty process group (a container's pid namespace and `pids` cgroup).
    pub fn new_group(&mut self) -> GroupId {
        let id = self.next_group;
        self.next_group = self.next_group.wrapping_add(1).max(1);
        GroupId(id)
    }

    /// Caps the linear memory of each process of `group`, in bytes (`docker run --memory`).
    pub fn set_memory_limit_for(&mut self, group: GroupId, bytes: usize) {
        self.memory_limits.insert(group.0, bytes);
    }

    /// Caps how many processes (zombies included) `group` may hold: spawning past it fails
    /// with `EAGAIN` (`docker run --pids-limit`). At least 1.
    pub fn set_pids_limit(&mut self, group: GroupId, limit: usize) {
        self.pids_limits.insert(group.0, limit.max(1));
    }

    /// Processes of `group` in the table, zombies included.
    pub fn group_size(&self, group: GroupId) -> usize {
        self.procs.values().filter(|p| p.group == group.0).count()
    }

    /// The live pids of `group`.
    pub fn group_pids(&self, group: GroupId) -> Vec<Pid> {
        self.procs
            .iter()
            .filter(|(_, p)| p.group == group.0 && matches!(p.body, Body::Live(_)))
            .map(|(&pid, _)| Pid(pid))
            .collect()
    }

    /// Sends `signal` to every live process of `group` (a container stopping: `docker stop`
    /// sends TERM to its main process, then KILL to all of it).
    pub fn kill_group(&mut self, group: GroupId, signal: Signal) {
        for pid in self.group_pids(group) {
            self.kill(pid, signal);
        }
    }

    /// Whether one more process fits in `group`; `extra` counts processes out of the table
    /// (the caller, during its turn).
    pub(crate) fn room_for(&self, group: u32, extra: usize) -> bool {
        let limit = self.pids_limits.get(&group).copied().unwrap_or(DEFAULT_PIDS_LIMIT);
        let in_group = self.procs.values().filter(|p| p.group == group).count() + extra;
        in_group < limit && self.procs.len() + extra < MAX_PROCESSES
    }

    /// Freezes `group`: its processes stop being scheduled until [`Kernel::thaw_group`].
    pub fn freeze_group(&mut self, group: GroupId) {
        self.frozen.insert(group.0);
    }

    /// Thaws a frozen `group`: its processes run again where they stopped.
    pub fn thaw_group(&mut self, group: GroupId) {
        self.frozen.remove(&group.0);
    }

    pub fn is_frozen(&self, group: GroupId) -> bool {
        self.frozen.contains(&group.0)
    }
}
