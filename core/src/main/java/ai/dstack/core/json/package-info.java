/** JSON in dstack's wire format. */
package ai.dstack.core.json;
