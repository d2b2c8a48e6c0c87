//! What every rule of one power reads, prepared once per power.

use std::cell::OnceCell;

use petgraph::graph::NodeIndex;

use crate::config::Settings;
use crate::diag::Pos;
use crate::law::registry::Law;
use crate::model::duration::{Amount, Calendar};
use crate::model::graph::StepGraph;
use crate::model::{pos, Power, StepType};

/// The statutory clock (SPEC §5.2): the steps it starts and stops at.
#[derive(Debug, Clone)]
pub struct Clock {
    pub from: Vec<NodeIndex>,
    pub to: Vec<NodeIndex>,
}

/// Everything a rule of one power reads, prepared once per power.
pub struct PowerCtx<'a> {
    pub power: &'a Power,
    pub graph: StepGraph<'a>,
    pub starts: Vec<NodeIndex>,
    pub ends: Vec<NodeIndex>,
    pub settings: &'a Settings,
    pub calendar: &'a Calendar,
    /// The canonical category name, if the category is known.
    pub category: Option<&'a str>,
    /// Per step: some `next` names a step that does not exist.
    pub unknown_edge: Vec<bool>,
    pub clock: Clock,
    clock_times: OnceCell<Option<Vec<Amount>>>,
    /// The registry's entry for each law the power cites, looked up once: a
    /// dozen rules ask after the same few laws.
    laws: Vec<(&'a str, Option<&'a Law>)>,
}

impl<'a> PowerCtx<'a> {
    pub fn new(power: &'a Power, settings: &'a Settings) -> Self {
        let graph = StepGraph::new(power);
        let starts = graph.nodes_of_type(StepType::Start);
        let ends = graph.nodes_of_type(StepType::End);
        let unknown_edge = graph
            .steps
            .iter()
            .map(|s| {
                s.edges()
                    .iter()
                    .any(|e| !graph.index.contains_key(e.to.value.as_str()))
            })
            .collect();
        let category = power
            .category
            .as_ref()
            .and_then(|c| settings.category(&c.value));
        let mut laws: Vec<(&str, Option<&Law>)> = Vec::new();
        for b in power.cited() {
            if let Some(name) = b.value.law.as_ref().map(|l| l.value.as_str()) {
                if !laws.iter().any(|(n, _)| *n == name) {
                    laws.push((name, settings.laws.find(name)));
                }
            }
        }
        let (from, to) = graph.clock(category);
        let clock = Clock { from, to };
        PowerCtx {
            power,
            starts,
            ends,
            settings,
            calendar: &settings.calendar,
            category,
            unknown_edge,
            graph,
            clock,
            clock_times: OnceCell::new(),
            laws,
        }
    }

    /// The law registry's entry for a law's name as written.
    pub fn law(&self, name: &str) -> Option<&'a Law> {
        match self.laws.iter().find(|(n, _)| *n == name) {
            Some(&(_, law)) => law,
            None => self.settings.laws.find(name),
        }
    }

    /// The times of the paths on the statutory clock, `not_counted` steps left
    /// out (computed once); `None` when the forward edges form a cycle.
    pub fn clock_times(&self) -> Option<&[Amount]> {
        self.clock_times
            .get_or_init(|| {
                let to = |n: NodeIndex| self.clock.to.contains(&n);
                let counted = |n: NodeIndex| self.graph.steps[n.index()].not_counted.is_none();
                self.graph
                    .path_times(&self.clock.from, &to, &counted, self.calendar)
            })
            .as_deref()
    }

    /// Where `steps:` is written, for findings about the flow as a whole.
    pub fn steps_at(&self) -> Pos {
        self.power.steps.as_ref().map_or(Pos::START, pos)
    }
}
