using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ExternalIdp.Commands
{
    /// <summary>
    /// .NET only (PowerShell 7): the load context ExternalIdp.Core lives in. Every assembly that
    /// ExternalIdp.Core asks for and that the dependencies folder holds (YamlDotNet, Newtonsoft.Json)
    /// comes from that folder; everything else (the framework, System.Management.Automation) comes
    /// from the default context as usual.
    /// </summary>
    /// <remarks>
    /// Internal on purpose: PowerShell loads the public types of a module assembly on import, and on
    /// .NET Framework (Windows PowerShell 5.1) a public type deriving from AssemblyLoadContext could not
    /// be loaded. Only <see cref="DependencyLoader"/> touches this class, and only on .NET.
    /// </remarks>
    internal sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private readonly string _folder;

        private IsolatedLoadContext(string folder)
        {
            _folder = folder;
        }

        /// <summary>
        /// Creates the context and answers the default context's requests for ExternalIdp.Core from it.
        /// Called once per process.
        /// </summary>
        internal static void Install(string folder)
        {
            var context = new IsolatedLoadContext(folder);
            Default.Resolving += (defaultContext, name) =>
                string.Equals(name.Name, DependencyLoader.CoreAssemblyName, StringComparison.Ordinal)
                    ? context.LoadFromFolder(name)
                    : null;
        }

        protected override Assembly Load(AssemblyName assemblyName) => LoadFromFolder(assemblyName);

        /// <summary>
        /// The assembly of that name from the folder, or null when the folder has none (then the default
        /// context answers). Never LoadFromAssemblyName: for a file that is missing, that would go back
        /// through the default context's Resolving event to this handler, without end.
        /// </summary>
        private Assembly LoadFromFolder(AssemblyName assemblyName)
        {
            if (string.IsNullOrEmpty(assemblyName.Name)) return null;
            var path = Path.Combine(_folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
