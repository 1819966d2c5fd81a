/** The system ssh-agent: hand the signed-in key and certificate to OpenSSH tools. */
export {
  AgentError,
  agentSocketFromEnv,
  createAgentClient,
  MAX_AGENT_REPLY_BYTES,
  type AddCertificateIdentityOptions,
  type AgentClient,
  type AgentClientOptions,
  type AgentErrorCode,
  type AgentIdentity,
} from './agentClient';
