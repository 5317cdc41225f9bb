// auth: Token authentication.
const config_loader = require('config-loader');
const http_client = require('http-client');
module.exports = { name: 'auth', version: '0.9.0' };
