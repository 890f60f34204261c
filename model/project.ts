/** The project's name: its folder in the user's cache and state directories, and its kind clusters' owner records. */
export const PROJECT_NAME = "kuberay-pod-security";
