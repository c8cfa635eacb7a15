using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using YamlDotNet.RepresentationModel;

namespace ExternalIdp.Core.Juju
{
    /// <summary>One application as `juju status --format=json` shows it.</summary>
    internal sealed class StatusApp
    {
        public string Name { get; set; }
        public string Charm { get; set; }
        public string Status { get; set; }
        public string Message { get; set; }
        /// <summary>endpoint → related applications.</summary>
        public Dictionary<string, List<string>> Relations { get; } = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        public string LeaderUnit { get; set; }
        /// <summary>The workload version the charm reports (applications.&lt;app&gt;.version; for kratos the Kratos release, e.g. 26.2.0), or null.</summary>
        public string Version { get; set; }

        public bool RelatedTo(string endpoint, string app)
            => Relations.TryGetValue(endpoint, out var l) && l.Contains(app);
    }

    internal sealed class ModelStatus
    {
        public string ModelName { get; set; }
        public string Controller { get; set; }
        public Dictionary<string, StatusApp> Apps { get; } = new Dictionary<string, StatusApp>(StringComparer.Ordinal);
    }

    /// <summary>One application of `juju export-bundle`. Options may hold secrets: never shown.</summary>
    internal sealed class BundleApp
    {
        public string Name { get; set; }
        public string Charm { get; set; }
        public Dictionary<string, string> Options { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public string Option(string key) => Options.TryGetValue(key, out var v) ? v : null;
    }

    internal sealed class Bundle
    {
        public Dictionary<string, BundleApp> Apps { get; } = new Dictionary<string, BundleApp>(StringComparer.Ordinal);
        /// <summary>Each relation as two (application, endpoint-or-null) ends.</summary>
        public List<KeyValuePair<(string app, string ep), (string app, string ep)>> Relations { get; } = new List<KeyValuePair<(string, string), (string, string)>>();

        public bool Related(string app, string appEndpoint, string other, string otherEndpoint)
        {
            bool End((string app, string ep) e, string a, string ep) => e.app == a && (e.ep == null || e.ep == ep);
            return Relations.Any(r => (End(r.Key, app, appEndpoint) && End(r.Value, other, otherEndpoint)) ||
                                      (End(r.Value, app, appEndpoint) && End(r.Key, other, otherEndpoint)));
        }
    }

    /// <summary>The answer of an action (juju run / run-action --format json).</summary>
    internal sealed class ActionResult
    {
        public string Unit { get; set; }
        public string Status { get; set; }
        public string Message { get; set; }
        public JObject Results { get; set; }
    }

    /// <summary>Parses juju's outputs defensively: unknown keys ignored, old and new shapes accepted.</summary>
    internal static class JujuParsers
    {
        private static JObject ParseJson(string text, string what)
        {
            try
            {
                using (var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None })
                    return JObject.Load(reader);
            }
            catch (JsonException e)
            {
                throw JujuMessages.NotJson(what, e);
            }
        }

        private static string Str(JToken t) => t != null && t.Type != JTokenType.Null && t.Type != JTokenType.Object && t.Type != JTokenType.Array ? (string)t : null;

        /// <summary>The charm name from "charm-name", or from "charm" in its old forms (ch:amd64/jammy/name-12, cs:~user/name-3, local:name-0).</summary>
        public static string CharmName(string charm, string charmName)
        {
            if (!string.IsNullOrEmpty(charmName)) return charmName;
            if (string.IsNullOrEmpty(charm)) return null;
            var c = charm;
            var colon = c.IndexOf(':');
            if (colon >= 0) c = c.Substring(colon + 1);
            var slash = c.LastIndexOf('/');
            if (slash >= 0) c = c.Substring(slash + 1);
            var dash = c.LastIndexOf('-');
            if (dash > 0 && dash < c.Length - 1 && c.Substring(dash + 1).All(char.IsDigit) && charm.IndexOf(':') >= 0) c = c.Substring(0, dash);
            return c;
        }

        public static ModelStatus Status(string json, string what)
        {
            var root = ParseJson(json, what);
            var ms = new ModelStatus();
            if (root["model"] is JObject model)
            {
                ms.ModelName = Str(model["name"]);
                ms.Controller = Str(model["controller"]);
            }
            if (root["applications"] is JObject apps)
            {
                foreach (var p in apps.Properties())
                {
                    if (!(p.Value is JObject a)) continue;
                    var app = new StatusApp { Name = p.Name, Charm = CharmName(Str(a["charm"]), Str(a["charm-name"])), Version = Str(a["version"]) };
                    var st = a["application-status"] as JObject;
                    JObject unitStatus = null;
                    if (a["units"] is JObject units)
                    {
                        foreach (var u in units.Properties())
                        {
                            if (!(u.Value is JObject uo)) continue;
                            var leader = uo["leader"];
                            var isLeader = leader != null && leader.Type == JTokenType.Boolean && (bool)leader;
                            if (app.LeaderUnit == null || isLeader)
                            {
                                app.LeaderUnit = u.Name;
                                unitStatus = uo["workload-status"] as JObject ?? unitStatus;
                            }
                        }
                    }
                    if (st == null || (Str(st["current"]) == null && Str(st["status-error"]) == null)) st = unitStatus;
                    if (st != null)
                    {
                        app.Status = Str(st["current"]) ?? (Str(st["status-error"]) != null ? "error" : null);
                        app.Message = Str(st["message"]) ?? Str(st["status-error"]);
                    }
                    if (a["relations"] is JObject rels)
                    {
                        foreach (var r in rels.Properties())
                        {
                            var list = new List<string>();
                            if (r.Value is JArray arr)
                                foreach (var item in arr)
                                {
                                    var other = item is JObject o ? Str(o["related-application"]) : Str(item);
                                    if (other != null) list.Add(other);
                                }
                            app.Relations[r.Name] = list;
                        }
                    }
                    ms.Apps[app.Name] = app;
                }
            }
            return ms;
        }

        public static Bundle Bundle(string yaml, string what)
        {
            var stream = new YamlStream();
            try { stream.Load(new StringReader(yaml)); }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw JujuMessages.NotBundle(what, e);
            }
            var b = new Bundle();
            if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root)) return b;
            var apps = Child(root, "applications") as YamlMappingNode ?? Child(root, "services") as YamlMappingNode;
            if (apps != null)
            {
                foreach (var kv in apps.Children)
                {
                    var name = (kv.Key as YamlScalarNode)?.Value;
                    if (name == null || !(kv.Value is YamlMappingNode a)) continue;
                    var charm = (Child(a, "charm") as YamlScalarNode)?.Value;
                    var app = new BundleApp { Name = name, Charm = CharmName(charm, null) };
                    if (Child(a, "options") is YamlMappingNode opts)
                        foreach (var o in opts.Children)
                        {
                            var k = (o.Key as YamlScalarNode)?.Value;
                            if (k != null && o.Value is YamlScalarNode v) app.Options[k] = v.Value;
                        }
                    b.Apps[name] = app;
                }
            }
            if (Child(root, "relations") is YamlSequenceNode rels)
            {
                foreach (var r in rels.Children)
                {
                    var ends = new List<string>();
                    if (r is YamlSequenceNode pair) ends.AddRange(pair.Children.OfType<YamlScalarNode>().Select(s => s.Value));
                    else if (r is YamlScalarNode s) ends.AddRange((s.Value ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries));
                    if (ends.Count != 2) continue;
                    b.Relations.Add(new KeyValuePair<(string, string), (string, string)>(End(ends[0]), End(ends[1])));
                }
            }
            return b;
        }

        private static (string, string) End(string s)
        {
            var i = s.IndexOf(':');
            return i < 0 ? (s, null) : (s.Substring(0, i), s.Substring(i + 1));
        }

        private static YamlNode Child(YamlMappingNode m, string key)
        {
            foreach (var kv in m.Children)
                if (kv.Key is YamlScalarNode s && s.Value == key) return kv.Value;
            return null;
        }

        /// <summary>
        /// The action's answer: the first entry of the top-level object, whatever its key (the real
        /// unit on Juju 3, unit-&lt;app&gt;-&lt;n&gt; on 2.9). Null when juju printed nothing.
        /// </summary>
        public static ActionResult Action(string json, string what)
        {
            if (string.IsNullOrWhiteSpace(json)) return null;
            var root = ParseJson(json, what);
            var entry = root.Properties().Select(p => p.Value).OfType<JObject>().FirstOrDefault();
            if (entry == null) return null;
            var key = root.Properties().First(p => p.Value == entry).Name;
            return new ActionResult
            {
                Unit = Str(entry["unit"]) ?? Str(entry["UnitId"]) ?? key,
                Status = Str(entry["status"]),
                Message = Str(entry["message"]),
                Results = entry["results"] as JObject ?? new JObject(),
            };
        }

        /// <summary>application-data of the relations on that endpoint (`juju show-unit u --endpoint ep --format json`).</summary>
        public static List<JObject> RelationData(string json, string endpoint, string what)
        {
            var root = ParseJson(json, what);
            var list = new List<JObject>();
            foreach (var unit in root.Properties().Select(p => p.Value).OfType<JObject>())
            {
                if (!(unit["relation-info"] is JArray infos)) continue;
                foreach (var info in infos.OfType<JObject>())
                {
                    var ep = Str(info["endpoint"]);
                    if (ep != null && ep != endpoint) continue;
                    if (info["application-data"] is JObject data) list.Add(data);
                }
            }
            return list;
        }

        public static JObject ParseObject(string json, string what) => ParseJson(json, what);
    }
}
