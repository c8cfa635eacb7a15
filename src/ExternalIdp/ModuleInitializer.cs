using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ExternalIdp.Commands
{
    /// <summary>
    /// Runs when PowerShell imports the module: makes ExternalIdp.Core and its dependencies
    /// (YamlDotNet, Newtonsoft.Json) loadable from the module's <c>dependencies</c> folder, where
    /// PowerShell's own assembly resolution does not look.
    /// <list type="bullet">
    /// <item>PowerShell 7 (.NET): ExternalIdp.Core is loaded into a load context of its own, whose
    /// dependencies always come from that folder, whatever versions of YamlDotNet or Newtonsoft.Json
    /// the session loaded before or loads later (another module, Add-Type).</item>
    /// <item>Windows PowerShell 5.1 (.NET Framework has a single load context): AppDomain.AssemblyResolve
    /// loads them from that folder; a different version of a strong-named dependency can live side by
    /// side, which is all the isolation .NET Framework allows.</item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// PowerShell 7 resolves a type literal such as <c>[ExternalIdp.KratosIdp]</c> only from the
    /// default load context, so the types scripts use by name (the output types, ErrorIds, the
    /// exception) are registered as type accelerators under their own full names: scripts write
    /// <c>$x -is [ExternalIdp.KratosIdp]</c> as before, and get the one type the cmdlets return.
    /// The hook is installed once per process and stays: a module removed and imported again, and
    /// several runspaces (runbook jobs) importing the module, all share the one ExternalIdp.Core
    /// that the process has bound. It answers only for ExternalIdp.Core, so nothing else of the
    /// session is affected.
    /// </remarks>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        /// <summary>Called by PowerShell on Import-Module.</summary>
        public void OnImport() => DependencyLoader.Install();
    }

    /// <summary>Where the isolated assemblies are, and the once-per-process hook that loads them.</summary>
    internal static class DependencyLoader
    {
        /// <summary>The module subfolder holding ExternalIdp.Core.dll, YamlDotNet.dll and Newtonsoft.Json.dll.</summary>
        internal const string FolderName = "dependencies";

        /// <summary>The assembly whose load is redirected; its own dependencies follow it.</summary>
        internal const string CoreAssemblyName = "ExternalIdp.Core";

        private static readonly string[] DesktopNames = { CoreAssemblyName, "YamlDotNet", "Newtonsoft.Json" };

        // 0 = not yet, 1 = installed. Set once per process; never reset (see ModuleInitializer remarks).
        private static int _installed;

        /// <summary>The dependencies folder beside ExternalIdp.dll.</summary>
        internal static string Folder
            => Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", FolderName);

        /// <summary>True on .NET (PowerShell 7), false on .NET Framework (Windows PowerShell 5.1).</summary>
        internal static bool IsNetCore
            => string.Equals(typeof(object).Assembly.GetName().Name, "System.Private.CoreLib", StringComparison.Ordinal);

        internal static void Install()
        {
            if (Interlocked.CompareExchange(ref _installed, 1, 0) != 0) return;
            var folder = Folder;
            if (IsNetCore)
            {
                InstallNetCore(folder);
                RegisterTypeNames();
            }
            else
            {
                InstallDesktop(folder);
            }
        }

        /// <summary>The ExternalIdp.Core types that scripts name (type literals, catch blocks, -is).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static Type[] ScriptVisibleTypes() => new[]
        {
            typeof(ExternalIdp.KratosIdp), typeof(ExternalIdp.KratosRedirectUri), typeof(ExternalIdp.KratosPublicUrl),
            typeof(ExternalIdp.KratosIdpCheck), typeof(ExternalIdp.KratosIdpCheckResult), typeof(ExternalIdp.KratosIdpDifference),
            typeof(ExternalIdp.Core.ErrorIds), typeof(ExternalIdp.Core.ErrorKind), typeof(ExternalIdp.Core.ExternalIdpException),
        };

        // Runs after the load context is hooked up: naming these types loads ExternalIdp.Core from it.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterTypeNames()
        {
            var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
            var add = accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
            if (add == null) return; // a PowerShell without the table: the cmdlets work, type literals don't
            foreach (var type in ScriptVisibleTypes())
            {
                // Never fail the import over a name: without it the cmdlets still work, only the type literal doesn't.
                try { add.Invoke(null, new object[] { type.FullName, type }); }
                catch (TargetInvocationException) { }
            }
        }

        // Separate, non-inlined methods: on .NET Framework the AssemblyLoadContext code is never
        // compiled, so System.Runtime.Loader is never looked for there.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallNetCore(string folder) => IsolatedLoadContext.Install(folder);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallDesktop(string folder)
        {
            AppDomain.CurrentDomain.AssemblyResolve += (sender, args) => ResolveDesktop(folder, args);
        }

        /// <summary>The AssemblyResolve answer on .NET Framework (internal for tests: it is exercised directly on .NET too).</summary>
        internal static Assembly ResolveDesktop(string folder, ResolveEventArgs args)
        {
            AssemblyName requested;
            try { requested = new AssemblyName(args.Name); }
            catch (Exception) { return null; }
            if (Array.IndexOf(DesktopNames, requested.Name) < 0) return null;
            var path = Path.Combine(folder, requested.Name + ".dll");
            if (!File.Exists(path)) return null;
            // A strong-named request for another version (another module's YamlDotNet) is not ours to answer.
            if (requested.Version != null && requested.GetPublicKeyToken()?.Length > 0)
            {
                var available = AssemblyName.GetAssemblyName(path);
                if (available.Version != requested.Version) return null;
            }
            return Assembly.LoadFrom(path);
        }
    }
}
