/**
 * A project's secrets: {@code /api/project/{project}/secrets}, as dstack 0.22.5 serves it (global
 * and project admins only), and {@link
 * ai.dstack.orchestrator.secrets.SecretsService#projectSecrets} for the server's own use when a job
 * references {@code ${{ secrets.NAME }}}.
 *
 * <p>Values are kept encrypted with AES-256-GCM (a random nonce per value, the project and name as
 * associated data); the key comes from {@code DSTACK_SERVER_ENCRYPTION_KEY} or from {@code <server
 * dir>/encryption-key}, generated on first use. Depends on {@code projects} (who may) and {@code
 * server} (where the key file lives).
 */
package ai.dstack.orchestrator.secrets;
