"""The domain, standard library only: what an incident, a component and a status are, and the
pure arithmetic of what the site says at a moment. Everything else in the package reads notes
into these types or displays them; nothing here touches a file, the network or a template."""
