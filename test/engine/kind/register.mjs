// Loads tsx for the stand-in's TypeScript entry points, resolved from this folder (not the caller's working directory).
import "tsx";
