/**
 * Tenants: whom a verification belongs to. Another tenant never sees, checks or cancels it.
 *
 * <p>API: {@link io.otpgate.core.tenant.Tenant}. No SPI.
 */
package io.otpgate.core.tenant;
