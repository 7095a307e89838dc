//! The network as files Gephi opens: GraphML and GEXF 1.3, with each actor's kind and state
//! and each relation's kind as attributes. Text is escaped by quick-xml.

use quick_xml::escape::escape;

/// An actor as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportNode {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub state: Option<String>,
}

/// A relation as exported (directed, from → to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportEdge {
    pub id: String,
    pub from: String,
    pub to: String,
    pub kind: String,
}

/// GraphML (http://graphml.graphdrawing.org): keys first, then a directed graph.
pub fn graphml(nodes: &[ExportNode], edges: &[ExportEdge]) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"state\" for=\"node\" attr.name=\"state\" attr.type=\"string\"/>\n",
        "  <key id=\"relation\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <graph id=\"mutirao\" edgedefault=\"directed\">\n",
    ));
    for n in nodes {
        out.push_str(&format!(
            "    <node id=\"{}\"><data key=\"label\">{}</data><data key=\"kind\">{}</data>",
            escape(n.id.as_str()),
            escape(n.label.as_str()),
            escape(n.kind.as_str())
        ));
        if let Some(s) = &n.state {
            out.push_str(&format!("<data key=\"state\">{}</data>", escape(s.as_str())));
        }
        out.push_str("</node>\n");
    }
    for e in edges {
        out.push_str(&format!(
            "    <edge id=\"{}\" source=\"{}\" target=\"{}\"><data key=\"relation\">{}</data></edge>\n",
            escape(e.id.as_str()),
            escape(e.from.as_str()),
            escape(e.to.as_str()),
            escape(e.kind.as_str())
        ));
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// GEXF 1.3 (https://gexf.net): a static directed graph with node and edge attributes.
pub fn gexf(nodes: &[ExportNode], edges: &[ExportEdge]) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n",
        "  <meta><creator>Mutirão</creator></meta>\n",
        "  <graph mode=\"static\" defaultedgetype=\"directed\">\n",
        "    <attributes class=\"node\">\n",
        "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n",
        "      <attribute id=\"state\" title=\"state\" type=\"string\"/>\n",
        "    </attributes>\n",
        "    <attributes class=\"edge\">\n",
        "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n",
        "    </attributes>\n",
        "    <nodes>\n",
    ));
    for n in nodes {
        out.push_str(&format!(
            "      <node id=\"{}\" label=\"{}\"><attvalues><attvalue for=\"kind\" value=\"{}\"/>",
            escape(n.id.as_str()),
            escape(n.label.as_str()),
            escape(n.kind.as_str())
        ));
        if let Some(s) = &n.state {
            out.push_str(&format!("<attvalue for=\"state\" value=\"{}\"/>", escape(s.as_str())));
        }
        out.push_str("</attvalues></node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for e in edges {
        out.push_str(&format!(
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\"><attvalues><attvalue for=\"kind\" value=\"{}\"/></attvalues></edge>\n",
            escape(e.id.as_str()),
            escape(e.from.as_str()),
            escape(e.to.as_str()),
            escape(e.kind.as_str())
        ));
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

/// A CSV row whose cells a spreadsheet shows as text (no cell starts a formula).
fn safe_cells<const N: usize>(cells: [&str; N]) -> [String; N] {
    cells.map(|c| shared::network::spreadsheet_safe(c).into_owned())
}

/// Actors as CSV (UTF-8, comma-separated; lists joined with `|`; cells that would start a
/// spreadsheet formula written as text).
pub fn actors_csv(actors: &[shared::network::ActorView]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // The import reads the same names back.
    let _ = w.write_record(std::iter::once("id").chain(shared::network::ACTOR_FIELDS));
    for a in actors {
        let _ = w.write_record(safe_cells([
            a.id.as_str(),
            &a.name,
            &a.kind,
            &a.description,
            &a.country,
            a.state.as_deref().unwrap_or_default(),
            a.municipality.as_deref().unwrap_or_default(),
            &a.products.join(" | "),
            a.organic_status.map(|s| s.as_str()).unwrap_or_default(),
            &a.members.map(|m| m.to_string()).unwrap_or_default(),
            a.website.as_deref().unwrap_or_default(),
            a.email.as_deref().unwrap_or_default(),
            a.phone.as_deref().unwrap_or_default(),
            &a.tags.join(" | "),
            a.visibility.as_str(),
        ]));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Relations as CSV, naming both actors by id (what the relations import reads) and by name.
pub fn relations_csv(relations: &[shared::network::RelationView]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["id", "from", "from_name", "to", "to_name", "kind", "since", "until", "note", "evidence"]);
    for r in relations {
        let _ = w.write_record(safe_cells([
            r.id.as_str(),
            &r.from,
            &r.from_name,
            &r.to,
            &r.to_name,
            &r.kind,
            r.since.as_deref().unwrap_or_default(),
            r.until.as_deref().unwrap_or_default(),
            &r.note,
            &r.evidence,
        ]));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::{events::Event, Reader};

    /// Parses `xml` whole (any error fails the test) and lists, for each element named `name`,
    /// the value of its attribute `attr`.
    fn elements(xml: &str, name: &str, attr: &str) -> Vec<String> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut found = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == name.as_bytes() => {
                    let value = e.try_get_attribute(attr).unwrap().map(|a| a.unescape_value().unwrap().into_owned());
                    found.push(value.unwrap_or_default());
                }
                Event::Eof => break,
                _ => {}
            }
        }
        found
    }

    fn sample() -> (Vec<ExportNode>, Vec<ExportEdge>) {
        let node = |id: &str, label: &str, kind: &str, state: Option<&str>| ExportNode {
            id: id.into(),
            label: label.into(),
            kind: kind.into(),
            state: state.map(Into::into),
        };
        let nodes = vec![
            node("a1", "Cooperativa Agroecológica Terra Viva", "producer_organisation", Some("SC")),
            node("a2", "Empório <Verde> & \"Filhos\"", "buyer", None),
            node("a3", "Rede Ecovida – Núcleo Serra", "opac", Some("RS")),
        ];
        let edge =
            |id: &str, from: &str, to: &str, kind: &str| ExportEdge { id: id.into(), from: from.into(), to: to.into(), kind: kind.into() };
        let edges = vec![edge("r1", "a1", "a2", "supplies"), edge("r2", "a3", "a1", "certifies")];
        (nodes, edges)
    }

    #[test]
    fn graphml_is_xml_with_every_actor_and_relation() {
        let (nodes, edges) = sample();
        let xml = graphml(&nodes, &edges);
        assert_eq!(elements(&xml, "node", "id"), vec!["a1", "a2", "a3"]);
        assert_eq!(elements(&xml, "edge", "source"), vec!["a1", "a3"]);
        assert!(xml.contains("Empório &lt;Verde&gt; &amp; &quot;Filhos&quot;"), "{xml}");
        assert!(xml.contains("Cooperativa Agroecológica Terra Viva"), "accents kept as UTF-8");
        assert_eq!(elements(&graphml(&[], &[]), "node", "id").len(), 0, "an empty network is a valid file");
    }

    #[test]
    fn gexf_is_xml_with_every_actor_and_relation() {
        let (nodes, edges) = sample();
        let xml = gexf(&nodes, &edges);
        assert_eq!(
            elements(&xml, "node", "label"),
            vec!["Cooperativa Agroecológica Terra Viva", "Empório <Verde> & \"Filhos\"", "Rede Ecovida – Núcleo Serra"]
        );
        assert_eq!(elements(&xml, "edge", "target"), vec!["a2", "a1"]);
        assert_eq!(elements(&xml, "gexf", "version"), vec!["1.3"]);
        assert_eq!(elements(&gexf(&[], &[]), "edge", "id").len(), 0);
    }
}
