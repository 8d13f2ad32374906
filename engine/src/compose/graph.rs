//! Stage 5, graph: services and their `depends_on` form a graph. Compose refuses a cycle
//! (`dependency cycle detected: a -> b -> a`, found by walking services in name order) and
//! starts services dependencies first; `down` stops them in the reverse order.

use super::error::ComposeError;
use super::model::Service;
use std::collections::{BTreeMap, BTreeSet};

/// Fails on the first cycle met walking from each service in name order, as Compose does.
pub fn check_cycles(services: &BTreeMap<String, Service>) -> Result<(), ComposeError> {
    // A service whose dependencies were all walked without finding a cycle cannot lead to one.
    let mut clean: BTreeSet<&str> = BTreeSet::new();
    for name in services.keys() {
        let mut path = vec![name.as_str()];
        search(services, &mut path, &mut clean)?;
    }
    Ok(())
}

fn search<'a>(
    services: &'a BTreeMap<String, Service>,
    path: &mut Vec<&'a str>,
    clean: &mut BTreeSet<&'a str>,
) -> Result<(), ComposeError> {
    let Some(current) = path.last().copied() else { return Ok(()) };
    if clean.contains(current) {
        return Ok(());
    }
    let Some(service) = services.get(current) else { return Ok(()) };
    for dep in service.depends_on.keys() {
        let Some((dep, _)) = services.get_key_value(dep) else { continue };
        if let Some(i) = path.iter().position(|p| *p == dep) {
            let mut cycle: Vec<String> = path[i..].iter().map(|s| s.to_string()).collect();
            cycle.push(dep.clone());
            return Err(ComposeError::Cycle(cycle));
        }
        path.push(dep);
        search(services, path, clean)?;
        path.pop();
    }
    clean.insert(current);
    Ok(())
}

/// The order to start services in: every service after the ones it depends on, in name order
/// where the graph leaves a choice. The graph must be acyclic ([`check_cycles`]).
pub fn start_order(services: &BTreeMap<String, Service>) -> Vec<String> {
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut order = Vec::new();
    while order.len() < services.len() {
        let ready: Vec<String> = services
            .iter()
            .filter(|(n, _)| !done.contains(*n))
            .filter(|(_, s)| s.depends_on.keys().all(|d| done.contains(d) || !services.contains_key(d)))
            .map(|(n, _)| n.clone())
            .collect();
        if ready.is_empty() {
            // A cycle: start the rest in name order rather than loop.
            order.extend(services.keys().filter(|n| !done.contains(*n)).cloned());
            break;
        }
        for n in ready {
            done.insert(n.clone());
            order.push(n);
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::model::Dependency;

    fn graph(edges: &[(&str, &[&str])]) -> BTreeMap<String, Service> {
        edges
            .iter()
            .map(|(name, deps)| {
                let mut s = Service { name: name.to_string(), ..Service::default() };
                for d in *deps {
                    s.depends_on.insert(
                        d.to_string(),
                        Dependency { condition: "service_started".into(), restart: false, required: true },
                    );
                }
                (name.to_string(), s)
            })
            .collect()
    }

    fn cycle(edges: &[(&str, &[&str])]) -> String {
        check_cycles(&graph(edges)).unwrap_err().to_string()
    }

    #[test]
    fn cycles_are_reported_from_the_first_service_by_name() {
        assert_eq!(cycle(&[("a", &["b"]), ("b", &["a"])]), "dependency cycle detected: a -> b -> a");
        assert_eq!(cycle(&[("a", &["a"])]), "dependency cycle detected: a -> a");
        assert_eq!(
            cycle(&[("a", &["b"]), ("b", &["c"]), ("c", &["a"])]),
            "dependency cycle detected: a -> b -> c -> a"
        );
        assert_eq!(
            cycle(&[("a", &[]), ("x", &["y"]), ("y", &["z"]), ("z", &["y"])]),
            "dependency cycle detected: y -> z -> y"
        );
        assert!(check_cycles(&graph(&[("web", &["db", "cache"]), ("db", &[]), ("cache", &["db"])])).is_ok());
    }

    #[test]
    fn wide_acyclic_graphs_are_checked_quickly() {
        // Each layer depends on every service of the layer below: 2^30 paths, 60 services.
        let names: Vec<String> = (0..60).map(|i| format!("s{i:02}")).collect();
        let mut edges: Vec<(String, Vec<String>)> = Vec::new();
        for i in 0..60 {
            let layer = i / 2;
            let deps =
                if layer == 0 { vec![] } else { vec![names[2 * layer - 2].clone(), names[2 * layer - 1].clone()] };
            edges.push((names[i].clone(), deps));
        }
        let refs: Vec<(&str, Vec<&str>)> =
            edges.iter().map(|(n, d)| (n.as_str(), d.iter().map(String::as_str).collect())).collect();
        let slices: Vec<(&str, &[&str])> = refs.iter().map(|(n, d)| (*n, d.as_slice())).collect();
        assert!(check_cycles(&graph(&slices)).is_ok());
    }

    #[test]
    fn dependencies_start_first() {
        let g = graph(&[("web", &["api"]), ("api", &["db", "cache"]), ("db", &[]), ("cache", &[])]);
        assert_eq!(start_order(&g), ["cache", "db", "api", "web"]);
    }
}
