/**
 * The SDK's low level: {@link ai.dstack.sdk.api.DstackApi}, one method per endpoint of the dstack
 * server's HTTP API, with core's request and response records, and the {@link
 * ai.dstack.sdk.api.DstackException} family every call reports failures with.
 */
package ai.dstack.sdk.api;
